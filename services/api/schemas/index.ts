import { businessSchema } from './business.ts';
import { errorSchema } from './error.ts';
import { itemDetailSchema, itemEventSchema, itemSchema } from './item.ts';
import { sourceSchema } from './source.ts';

/** Schemas routes refer to by `$ref: '<Name>#'`; they become the OpenAPI document's components. */
export const sharedSchemas = [errorSchema, businessSchema, sourceSchema, itemEventSchema, itemSchema, itemDetailSchema];
