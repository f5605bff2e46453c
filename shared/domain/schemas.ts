/**
 * Request schemas: the single source of truth for request types (`z.infer`), for validation in the
 * handlers, for the OpenAPI document (`npm run openapi`) and for the web form's client-side checks.
 * They live one module per route (or per function) under `requests/`, and bundled code imports that
 * module, never this one: esbuild keeps every schema of a module it bundles (each `.check(…)` is a call
 * it cannot prove pure), so a handler importing this barrel would carry all of them (decision 064).
 * This module re-exports them all for the OpenAPI document, the scripts and the tests.
 */
export * from './requests/intake.ts';
export * from './requests/intake-staff-fields.ts';
export * from './requests/assignment.ts';
export * from './requests/contact.ts';
export * from './requests/reply.ts';
export * from './requests/callback.ts';
export * from './requests/case-actions.ts';
export * from './requests/lists.ts';
export * from './requests/params.ts';
export * from './requests/notices.ts';
