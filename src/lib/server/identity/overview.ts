import { can, type RoleName } from '$lib/permissions';
import { db } from '../db/client';

/** What the staff home page shows: the user's teams, recent notifications, and for admins the org. */
export async function staffOverview(userId: string, role: RoleName) {
	const [teams, notifications, people] = await Promise.all([
		db().group.findMany({
			where: { members: { some: { userId } } },
			select: { id: true, name: true, description: true, _count: { select: { members: true } } },
			orderBy: { name: 'asc' }
		}),
		db().notification.findMany({
			where: { userId },
			orderBy: { createdAt: 'desc' },
			take: 5,
			select: { id: true, title: true, body: true, link: true, readAt: true, createdAt: true }
		}),
		can(role, 'user.read')
			? db().user.groupBy({ by: ['role'], where: { active: true }, _count: { _all: true } })
			: Promise.resolve([])
	]);
	return {
		teams: teams.map(({ _count, ...t }) => ({ ...t, memberCount: _count.members })),
		notifications,
		peopleByRole: Object.fromEntries(people.map((p) => [p.role, p._count._all])) as Partial<
			Record<RoleName, number>
		>
	};
}

/** What the self-service portal home shows an end user: contact points and their notifications. */
export async function portalOverview(userId: string) {
	const [contacts, notifications] = await Promise.all([
		db().group.findMany({
			where: { email: { not: null } },
			select: { id: true, name: true, description: true, email: true },
			orderBy: { name: 'asc' }
		}),
		db().notification.findMany({
			where: { userId },
			orderBy: { createdAt: 'desc' },
			take: 10,
			select: { id: true, title: true, body: true, link: true, readAt: true, createdAt: true }
		})
	]);
	return { contacts, notifications };
}
