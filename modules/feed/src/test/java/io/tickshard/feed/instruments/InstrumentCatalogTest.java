package io.tickshard.feed.instruments;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tickshard.feed.ExchangeSegment;
import io.tickshard.feed.Instrument;
import java.io.BufferedReader;
import java.io.StringReader;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The broker's instrument list read, and symbols resolved and searched as a trader types them. */
class InstrumentCatalogTest {
  private static final InstrumentCatalog SAMPLE = InstrumentCatalog.sample();

  @Test
  void the_shipped_sample_has_the_nifty_50_shares_and_the_main_indices() {
    assertThat(SAMPLE.size()).isEqualTo(62);
    assertThat(SAMPLE.skipped()).isZero();
    assertThat(SAMPLE.source()).isEqualTo("sample");
    assertThat(SAMPLE.info(Instrument.of(ExchangeSegment.NSE_EQ, 2885)))
        .hasValueSatisfying(
            info -> {
              assertThat(info.symbol()).isEqualTo("RELIANCE");
              assertThat(info.name()).isEqualTo("Reliance Industries");
              assertThat(info.kind()).isEqualTo("EQUITY");
            });
    assertThat(SAMPLE.info(Instrument.of(ExchangeSegment.IDX_I, 13)))
        .hasValueSatisfying(info -> assertThat(info.name()).isEqualTo("Nifty 50"));
  }

  @Test
  void a_bare_symbol_is_the_nse_share_or_the_index_and_a_segment_picks_one() {
    assertThat(SAMPLE.resolve("RELIANCE")).hasValue(Instrument.of(ExchangeSegment.NSE_EQ, 2885));
    assertThat(SAMPLE.resolve("hdfcbank")).hasValue(Instrument.of(ExchangeSegment.NSE_EQ, 1333));
    assertThat(SAMPLE.resolve("NIFTY")).hasValue(Instrument.of(ExchangeSegment.IDX_I, 13));
    // Ids are unique only within a segment: 25 is an index and a share.
    assertThat(SAMPLE.resolve("IDX_I:BANKNIFTY"))
        .hasValue(Instrument.of(ExchangeSegment.IDX_I, 25));
    assertThat(SAMPLE.resolve("ADANIENT")).hasValue(Instrument.of(ExchangeSegment.NSE_EQ, 25));
    assertThat(SAMPLE.resolve("NSE_FNO:RELIANCE")).isEmpty();
    assertThat(SAMPLE.resolve("NOSUCHSYMBOL")).isEmpty();
  }

  @Test
  void search_puts_the_exact_symbol_first_then_symbols_starting_with_it_then_names() {
    List<String> bank = SAMPLE.search("bank", 50).stream().map(InstrumentInfo::symbol).toList();
    assertThat(bank).contains("BANKNIFTY", "HDFCBANK", "ICICIBANK", "AXISBANK");
    assertThat(bank.indexOf("BANKNIFTY")).isLessThan(bank.indexOf("HDFCBANK"));
    assertThat(SAMPLE.search("INFY", 5).get(0).symbol()).isEqualTo("INFY");
    // By name, too: "State Bank of India".
    assertThat(SAMPLE.search("state bank", 5)).extracting(InstrumentInfo::symbol).contains("SBIN");
    assertThat(SAMPLE.search("bank", 3)).hasSize(3);
    assertThat(SAMPLE.search("  ", 10)).isEmpty();
  }

  @Test
  void columns_are_found_by_name_and_rows_the_feed_cannot_carry_are_skipped() throws Exception {
    String csv =
        """
        # a comment
        SEM_TRADING_SYMBOL,SEM_SMST_SECURITY_ID,SEM_SEGMENT,SEM_EXM_EXCH_ID,SEM_CUSTOM_SYMBOL,SEM_INSTRUMENT_NAME,SOME_NEW_COLUMN
        NIFTY25DECFUT,35000,D,NSE,"NIFTY DEC FUT, 2025",FUTIDX,x
        GOLD,114,M,MCX,Gold,FUTCOM,x
        ODD,7,Q,NSE,Odd,EQUITY,x
        NOID,,E,NSE,No id,EQUITY,x
        """;
    ScripMaster.Read read = ScripMaster.read(new BufferedReader(new StringReader(csv)));
    assertThat(read.skipped()).isEqualTo(2);
    InstrumentCatalog catalog = InstrumentCatalog.of(read.entries(), "test");
    assertThat(catalog.resolve("NSE_FNO:NIFTY25DECFUT"))
        .hasValue(Instrument.of(ExchangeSegment.NSE_FNO, 35000));
    assertThat(catalog.info(Instrument.of(ExchangeSegment.NSE_FNO, 35000)).orElseThrow().name())
        .isEqualTo("NIFTY DEC FUT, 2025");
    assertThat(catalog.resolve("GOLD")).hasValue(Instrument.of(ExchangeSegment.MCX_COMM, 114));
  }

  @Test
  void a_file_that_is_not_the_brokers_list_is_refused_with_the_missing_column() {
    assertThatThrownBy(
            () ->
                ScripMaster.read(
                    new BufferedReader(new StringReader("symbol,id\nRELIANCE,2885\n"))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("SEM_EXM_EXCH_ID");
  }
}
