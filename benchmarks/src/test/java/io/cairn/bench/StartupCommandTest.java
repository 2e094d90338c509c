package io.cairn.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StartupCommandTest {

    @Test
    void the_median_of_an_even_count_is_the_mean_of_the_middle_two() {
        assertThat(StartupCommand.median(List.of(3.0, 1.0, 2.0))).isEqualTo(2.0);
        assertThat(StartupCommand.median(List.of(4.0, 1.0, 3.0, 2.0))).isEqualTo(2.5);
    }

    @Test
    void the_table_gives_each_jar_its_spread_and_its_median_over_the_first_and_over_the_jvm_alone() {
        Map<String, List<Double>> seconds = new LinkedHashMap<>();
        seconds.put("new.jar", List.of(2.0, 1.0, 3.0));
        seconds.put("old.jar", List.of(4.0, 5.0, 3.0));
        seconds.put("JVM alone", List.of(0.1, 0.1, 0.1));
        Map<String, List<Double>> cpu = Map.of("new.jar", List.of(3.0, 3.0, 3.0), "old.jar", List.of(5.0, 6.0, 7.0));

        String table = StartupCommand.table(seconds, cpu, "new.jar", "JVM alone");

        assertThat(table.lines().toList()).containsExactly(
                "| started | min | median | max | median vs new.jar | median vs JVM alone | CPU by then (median) |",
                "|---|---:|---:|---:|---:|---:|---:|",
                "| new.jar | 1.00 s | 2.00 s | 3.00 s | 1.00× | 20.0× | 3.00 s |",
                "| old.jar | 3.00 s | 4.00 s | 5.00 s | 2.00× | 40.0× | 6.00 s |",
                "| JVM alone | 0.10 s | 0.10 s | 0.10 s | 0.05× | 1.0× |  |");
    }
}
