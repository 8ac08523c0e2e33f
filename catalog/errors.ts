import { NotFoundError } from '../core/index.js'

/** No dataset has this id or slug. */
export class DatasetNotFoundError extends NotFoundError {
  constructor(idOrSlug: string) {
    super(`Dataset '${idOrSlug}' not found`)
  }
}
