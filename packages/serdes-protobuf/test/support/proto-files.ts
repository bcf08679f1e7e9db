import { readFileSync } from 'node:fs';

/** The example schema of the repository, `schemas/my_message.proto`. */
export const myMessageProto = readFileSync(
  new URL('../../../../schemas/my_message.proto', import.meta.url),
  'utf8',
);

/**
 * A file of several messages, with an enum and a service among them that message indexes skip:
 * `pkg.First` is [0], `pkg.Outer` [1], `pkg.Outer.Inner` [1, 0], `pkg.Outer.Other` [1, 1], `pkg.Last` [2].
 */
export const multiMessageProto = `syntax = "proto3";
package pkg;

// Comments and the enum below do not count as messages.
message First {
  int32 id = 1;
  string name = 2;
}

enum Kind {
  KIND_UNSPECIFIED = 0;
  KIND_BIG = 1;
}

message Outer {
  enum Mode {
    MODE_UNSPECIFIED = 0;
  }
  message Inner {
    string note = 1;
    Kind kind = 2;
  }
  message Other {
    bool flag = 1;
  }
  Inner inner = 1;
  int64 count = 2;
}

service Lookup {
  rpc Find (First) returns (Outer);
}

message Last {
  repeated string tags = 1;
}
`;
