package io.tickshard.api;

import io.tickshard.feed.instruments.InstrumentInfo;

/** How the HTTP API shows an instrument of the list (docs/api.md, "Instruments"). */
record InstrumentResponse(
    String id, String segment, int securityId, String symbol, String name, String kind) {

  /** In a stream's answer, beside its id: what people call it. */
  record Name(String symbol, String name) {}

  static InstrumentResponse of(InstrumentInfo info) {
    return new InstrumentResponse(
        info.instrument().toString(),
        info.instrument().segment().name(),
        info.instrument().securityId(),
        info.symbol(),
        info.name(),
        info.kind());
  }

  static Name name(InstrumentInfo info) {
    return new Name(info.symbol(), info.name());
  }
}
