import { checkHealth } from '../../health';
import { publicProcedure, router } from '../init';

export const healthRouter = router({
	check: publicProcedure.query(() => checkHealth())
});
