import { slaState, type Priority, type SlaStateName, type Status } from './timers';

/** What a ticket answer carries about its SLA (ticket page, lists, REST). */
export interface SlaSummary {
	policy: { id: string; name: string };
	firstResponseDueAt: Date | null;
	resolutionDueAt: Date | null;
	atRiskAt: Date | null;
	state: SlaStateName;
}

export interface SlaRowFields {
	status: Status;
	priority: Priority;
	createdAt: Date;
	firstResponseAt: Date | null;
	resolvedAt: Date | null;
	slaPolicy: { id: string; name: string } | null;
	firstResponseDueAt: Date | null;
	resolutionDueAt: Date | null;
	slaAtRiskAt: Date | null;
}

export function slaSummary(t: SlaRowFields, now = new Date()): SlaSummary | null {
	if (!t.slaPolicy) return null;
	const state = slaState(
		t,
		{
			slaPolicyId: t.slaPolicy.id,
			firstResponseDueAt: t.firstResponseDueAt,
			resolutionDueAt: t.resolutionDueAt,
			slaAtRiskAt: t.slaAtRiskAt
		},
		now
	);
	if (!state) return null;
	return {
		// Only id and name: callers may hold more of the policy (its targets) than answers show.
		policy: { id: t.slaPolicy.id, name: t.slaPolicy.name },
		firstResponseDueAt: t.firstResponseDueAt,
		resolutionDueAt: t.resolutionDueAt,
		atRiskAt: t.slaAtRiskAt,
		state
	};
}
