import { InvalidBusinessSettings } from '../businesses/business-input.ts';
import { invalidInput } from './errors.ts';

/** A business setting refused by its rules (services/businesses), as a 400 naming the request field. */
export async function asInvalidBusinessInput<T>(change: () => Promise<T>): Promise<T> {
  try {
    return await change();
  } catch (error) {
    if (error instanceof InvalidBusinessSettings) throw invalidInput(`body.${error.field}`, `body.${error.field} ${error.problem}`);
    throw error;
  }
}
