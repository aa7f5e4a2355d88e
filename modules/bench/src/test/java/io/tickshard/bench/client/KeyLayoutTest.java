package io.tickshard.bench.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class KeyLayoutTest {
  @Test
  void keys_are_disjoint_runs_of_ids_and_each_id_knows_its_key() {
    KeyLayout layout = new KeyLayout(3, 4, 10);
    assertThat(layout.ids(0)).containsExactly(10, 11, 12, 13);
    assertThat(layout.ids(2)).containsExactly(18, 19, 20, 21);
    assertThat(layout.allIds()).hasSize(12).startsWith(10).endsWith(21);
    assertThat(layout.keyOf(13)).isZero();
    assertThat(layout.keyOf(14)).isEqualTo(1);
    assertThat(layout.keyOf(9)).isEqualTo(-1);
    assertThat(layout.keyOf(22)).isEqualTo(-1);
  }

  @Test
  void more_than_five_sockets_of_instruments_is_refused() {
    assertThatThrownBy(() -> new KeyLayout(26, 1_000, 1))
        .hasMessageContaining("at most 25,000 instruments");
    assertThatThrownBy(() -> new KeyLayout(0, 1, 1)).isInstanceOf(IllegalArgumentException.class);
  }
}
