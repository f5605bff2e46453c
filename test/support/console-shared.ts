/** What the console bundle gets as `virtual:shared`, for the console's unit tests (vitest.config.ts). */
import { sharedData } from '../../scripts/console-build.ts';

export default sharedData();
