/**
 * The intake fields only the customer-service centre may send (`intakeStaffShape` in `intake.ts`), as a
 * plain list: the complaint service checks them on every intake and must not bundle the intake schema for it.
 */
export const STAFF_ONLY_INTAKE_FIELDS = ['severity', 'severityReason', 'keyAccount', 'slaProfile', 'subjectStaffIds'] as const;
export type StaffOnlyIntakeField = (typeof STAFF_ONLY_INTAKE_FIELDS)[number];
