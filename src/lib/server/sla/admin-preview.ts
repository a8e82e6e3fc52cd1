import { db } from '../db/client';
import { parseFields, previewSchema } from './admin-schemas';
import { loadPolicies, matchPolicy, type LoadedPolicy } from './apply';

/**
 * Which of the 20 most recent tickets a policy draft would take, among the other active
 * policies in their order (the draft in its place, or last among conditional ones).
 */
export async function previewPolicy(input: unknown) {
	const draft = parseFields(previewSchema, input, 'policy');
	const others = (await loadPolicies(db())).filter((p) => p.id !== draft.id);
	const me: LoadedPolicy = {
		id: draft.id ?? 'draft',
		name: 'this policy',
		isDefault: draft.isDefault,
		conditions: draft.conditions,
		targets: {} as LoadedPolicy['targets'],
		warnPercent: 75,
		calendar: {} as LoadedPolicy['calendar'],
		escalations: []
	};
	const policies = draft.isDefault ? [...others.filter((p) => !p.isDefault), me] : [...others];
	if (!draft.isDefault) {
		const positions = await db().slaPolicy.findMany({
			where: { id: { in: others.map((o) => o.id) } },
			select: { id: true, position: true }
		});
		const pos = new Map(positions.map((p) => [p.id, p.position]));
		const at = policies.findIndex(
			(p) => p.isDefault || (draft.position !== undefined && (pos.get(p.id) ?? 0) > draft.position)
		);
		policies.splice(at < 0 ? policies.length : at, 0, me);
	}
	const tickets = await db().ticket.findMany({
		orderBy: { createdAt: 'desc' },
		take: 20,
		select: {
			id: true,
			number: true,
			subject: true,
			typeId: true,
			groupId: true,
			categoryId: true,
			requester: { select: { department: true } }
		}
	});
	return tickets.map((t) => {
		const hit = matchPolicy({ ...t, department: t.requester.department }, policies);
		return {
			id: t.id,
			number: t.number,
			subject: t.subject,
			matches: hit === me,
			policy: hit === me ? null : (hit?.name ?? null)
		};
	});
}
