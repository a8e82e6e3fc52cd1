import { listAudit, listAuditSchema } from '../../audit-log';
import { permitted, router } from '../init';

export const auditRouter = router({
	list: permitted('audit.read')
		.input(listAuditSchema)
		.query(({ input }) => listAudit(input))
});
