package io.tickshard.bench.measure;

import java.util.function.Predicate;

/** What the issue asks of a scenario, checked on each run's figures. */
public record Goal(String text, Predicate<Figures> met) {}
