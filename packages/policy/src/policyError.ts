/** A NetworkPolicy document Weft cannot read: the message names the document and the field path. */
export class PolicyError extends Error {
  override readonly name = 'PolicyError';
}
