/**
 * Organisation configuration, validated once at module load (a bad file fails the cold start
 * and the tests, not a request).
 */
import { RoutingSchema, UnitDirectorySchema, checkRouting, type Routing, type UnitDirectory } from '#domain/directory.ts';
import routingJson from './routing.json' with { type: 'json' };
import unitsJson from './units.json' with { type: 'json' };

export const directory: UnitDirectory = UnitDirectorySchema.parse(unitsJson);
export const routing: Routing = RoutingSchema.parse(routingJson);

const missing = checkRouting(routing, directory);
if (missing.length > 0) throw new Error(`routing.json names units missing from units.json: ${missing.join(', ')}`);
