package io.tickshard.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.apache.pekko.util.ByteString;
import org.junit.jupiter.api.Test;

/** What one write of a viewer's events may carry: no HTTP chunk over the limit, nothing lost. */
class ChunkPiecesTest {
  @Test
  void a_small_chunk_is_sent_as_it_is() {
    ByteString chunk = ByteString.fromString("event: tick\ndata: {}\n\n");
    assertThat(TickEvents.pieces(chunk)).containsExactly(chunk);
  }

  @Test
  void a_large_chunk_goes_in_pieces_of_at_most_the_limit_that_join_up_to_it() {
    // A 5,000-instrument snapshot is some 2 MB: over pekko-http's client limit of 1 MiB a chunk.
    ByteString chunk = ByteString.fromString("x".repeat(2_000_000));
    List<ByteString> pieces = TickEvents.pieces(chunk);
    assertThat(pieces)
        .allSatisfy(p -> assertThat(p.size()).isLessThanOrEqualTo(TickEvents.MAX_CHUNK));
    assertThat(pieces.stream().reduce(ByteString.emptyByteString(), ByteString::concat))
        .isEqualTo(chunk);
  }
}
