/** Typed configurations live in @mbrl-ts/contract (the agents declare their schemas with them). */
export {
  checkField,
  ConfigError,
  defaultsOf,
  hasField,
  parseFlagValue,
  resolveConfig,
  type BooleanField,
  type ConfigOf,
  type EnumField,
  type Field,
  type IntField,
  type NumberField,
  type Schema,
  type StringField,
} from '@mbrl-ts/contract';
