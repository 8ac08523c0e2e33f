import { NotFoundError } from '../core/index.js'

export class DatasetNotFoundError extends NotFoundError {
  constructor(idOrSlug: string) {
    super(`Dataset '${idOrSlug}' not found`)
  }
}
