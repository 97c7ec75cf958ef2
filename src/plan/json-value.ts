// Any JSON value, as Terraform writes them in plans and schemas.
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue }
