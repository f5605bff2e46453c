/**
 * Imported first by the local entry points. The SDK warns that Node 20 support ends in 2027; Lambda
 * runs nodejs22.x, only this machine runs 20, so the notice is noise here.
 */
process.env['AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED'] ??= 'true';
export {};
