package io.cairn.bootstrap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.cairn.bootstrap.CairnConfig.DomainsConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Plugin jars as users build them, good and bad: each bad one stops start-up naming the jar and the cause. */
class DomainLoaderTest {

    @TempDir
    Path plugins;

    @Test
    void the_built_in_accounts_domain_and_a_plugins_domain_are_both_loaded_with_where_they_came_from() throws Exception {
        PluginJars.jar(plugins, "notes.jar", Map.of("shop.NotesDomain",
                PluginJars.domain("shop.NotesDomain", "notes", "note", "notes", "")), List.of("shop.NotesDomain"));

        List<LoadedDomain> loaded = DomainLoader.load(new DomainsConfig(Optional.of(plugins), Set.of()));

        // the test class path holds both reference domains; plugins come after every built-in one
        assertThat(loaded).extracting(LoadedDomain::name).contains("accounts", "notes").endsWith("notes");
        LoadedDomain accounts = loaded.stream().filter(d -> d.name().equals("accounts")).findFirst().orElseThrow();
        LoadedDomain notes = loaded.get(loaded.size() - 1);
        assertThat(accounts.source()).startsWith("built in");
        assertThat(notes.source()).contains("notes.jar");
        assertThat(notes.aggregates()).extracting(type -> type.collection()).containsExactly("notes");
        assertThat(notes.describe()).contains("domain notes from plugin").contains("/notes [note]");
    }

    @Test
    void cairn_domains_selects_which_run_and_names_one_no_jar_provides() throws Exception {
        PluginJars.jar(plugins, "notes.jar", Map.of("shop.NotesDomain",
                PluginJars.domain("shop.NotesDomain", "notes", "note", "notes", "")), List.of("shop.NotesDomain"));

        assertThat(DomainLoader.load(new DomainsConfig(Optional.of(plugins), Set.of("notes"))))
                .extracting(LoadedDomain::name).containsExactly("notes");
        assertThatThrownBy(() -> DomainLoader.load(new DomainsConfig(Optional.of(plugins), Set.of("billing"))))
                .isInstanceOf(DomainLoadingException.class)
                .hasMessageContaining("[billing]").hasMessageContaining("accounts").hasMessageContaining("notes");
        assertThat(DomainLoader.load(new DomainsConfig(Optional.of(plugins), Set.of("notes", "accounts"))))
                .extracting(LoadedDomain::name).containsExactly("accounts", "notes");
    }

    @Test
    void a_file_that_is_not_a_jar_is_refused_by_name() throws Exception {
        Files.writeString(plugins.resolve("readme.jar"), "not a zip");

        assertRefused("readme.jar", "is not a jar");
    }

    @Test
    void a_jar_without_a_domain_is_refused_by_name() throws Exception {
        PluginJars.jar(plugins, "empty.jar", Map.of(), List.of());

        assertRefused("empty.jar", "holds no domain");
    }

    @Test
    void a_listed_class_that_does_not_exist_is_refused_by_name() throws Exception {
        PluginJars.jar(plugins, "typo.jar", Map.of(), List.of("shop.Missing"));

        assertRefused("typo.jar", "shop.Missing");
    }

    @Test
    void a_domain_that_throws_while_registering_is_refused_with_its_cause() throws Exception {
        PluginJars.jar(plugins, "broken.jar", Map.of("shop.Broken", PluginJars.domain("shop.Broken", "broken",
                "note", "notes", "if (true) throw new IllegalStateException(\"no licence\");")),
                List.of("shop.Broken"));

        assertRefused("broken.jar", "domain 'broken'", "failed while registering", "no licence");
    }

    @Test
    void two_aggregates_claiming_one_category_or_one_collection_are_refused_naming_both() throws Exception {
        PluginJars.jar(plugins, "a.jar", Map.of("shop.A", PluginJars.domain("shop.A", "a", "note", "notes", "")),
                List.of("shop.A"));
        PluginJars.jar(plugins, "b.jar", Map.of("shop.B", PluginJars.domain("shop.B", "b", "note", "memos", "")),
                List.of("shop.B"));
        assertRefused("a.jar", "category 'note'", "b.jar");

        Files.delete(plugins.resolve("b.jar"));
        PluginJars.jar(plugins, "c.jar", Map.of("shop.C", PluginJars.domain("shop.C", "c", "memo", "accounts", "")),
                List.of("shop.C"));
        assertRefused("c.jar", "collection 'accounts'", "domain 'accounts'");
    }

    @Test
    void a_command_name_given_twice_is_refused() throws Exception {
        PluginJars.jar(plugins, "twice.jar", Map.of("shop.Twice", PluginJars.domain("shop.Twice", "twice", "note",
                "notes", "AggregateType.builder(new Notes()).command(\"note\", CommandReader.json(Note.class))"
                        + ".command(\"note\", CommandReader.json(Note.class));")), List.of("shop.Twice"));

        assertRefused("twice.jar", "command name 'note' is given twice");
    }

    @Test
    void a_bad_plugin_stops_the_jar_with_exit_code_2() throws Exception {
        Files.writeString(plugins.resolve("readme.jar"), "not a zip");
        java.io.ByteArrayOutputStream err = new java.io.ByteArrayOutputStream();
        java.io.PrintStream previous = System.err;
        System.setErr(new java.io.PrintStream(err, true, java.nio.charset.StandardCharsets.UTF_8));
        int exit;
        try {
            System.setProperty("cairn.plugins", plugins.toString());
            System.setProperty("cairn.store", "memory");
            com.typesafe.config.ConfigFactory.invalidateCaches(); // Typesafe Config caches system properties
            exit = new picocli.CommandLine(new Main()).execute();
        } finally {
            System.clearProperty("cairn.plugins");
            System.clearProperty("cairn.store");
            com.typesafe.config.ConfigFactory.invalidateCaches();
            System.setErr(previous);
        }
        assertThat(exit).isEqualTo(Main.EXIT_BAD_CONFIG);
        assertThat(err.toString(java.nio.charset.StandardCharsets.UTF_8)).contains("readme.jar").contains("not a jar");
    }

    /** A domain of one projection: the inventory's orders, under a name of its choosing. */
    private static io.cairn.api.Domain projecting(String domain, String projection) {
        return new io.cairn.api.Domain() {
            @Override
            public String name() {
                return domain;
            }

            @Override
            public void register(io.cairn.api.DomainRegistry registry) {
                registry.projection(io.cairn.api.DocumentProjection.of(projection,
                        io.cairn.inventory.InventoryDomain.PRODUCTS, io.cairn.inventory.OrderDocument.class,
                        event -> java.util.List.of()));
            }
        };
    }

    @Test
    void a_projection_of_an_aggregate_no_domain_registers_is_refused_naming_both() {
        assertThatThrownBy(() -> DomainLoader.register(List.of(
                new DomainLoader.Found(projecting("reports", "reports"), "embedded")), Set.of()))
                .isInstanceOf(DomainLoadingException.class)
                .hasMessageContaining("domain 'reports'").hasMessageContaining("projection reports of product")
                .hasMessageContaining("category 'product'");
    }

    @Test
    void a_domain_of_projections_only_runs_beside_the_domain_of_its_aggregate() {
        List<LoadedDomain> loaded = DomainLoader.register(List.of(
                new DomainLoader.Found(new io.cairn.inventory.InventoryDomain(), "built in"),
                new DomainLoader.Found(projecting("reports", "reports"), "embedded")), Set.of());

        assertThat(loaded.get(1).aggregates()).isEmpty();
        assertThat(loaded.get(1).projections()).extracting(p -> p.name()).containsExactly("reports");
        assertThat(loaded.get(1).describe()).contains("projection reports of product at /views/reports");
    }

    @Test
    void two_projections_of_one_name_are_refused_naming_both_domains() {
        assertThatThrownBy(() -> DomainLoader.register(List.of(
                new DomainLoader.Found(new io.cairn.inventory.InventoryDomain(), "built in"),
                new DomainLoader.Found(projecting("reports", "orders"), "embedded")), Set.of()))
                .isInstanceOf(DomainLoadingException.class)
                .hasMessageContaining("projection name 'orders'").hasMessageContaining("domain 'inventory'")
                .hasMessageContaining("domain 'reports'");
    }

    @Test
    void an_upcaster_chain_with_a_hole_is_refused_naming_the_domain_the_aggregate_and_the_missing_step() {
        io.cairn.api.Domain holey = new io.cairn.api.Domain() {
            @Override
            public String name() {
                return "ledger";
            }

            @Override
            public void register(io.cairn.api.DomainRegistry registry) {
                registry.aggregate(io.cairn.api.AggregateType.builder(new EventUpcastingTest.Wallets())
                        .collection("wallets")
                        .command("spend", io.cairn.api.CommandReader.json(EventUpcastingTest.Spend.class))
                        .events(EventUpcastingTest.WalletEvent.class)
                        .eventVersion("Credited", 3)
                        .upcast("Deposited", 1, "Credited", data -> data) // and nothing from Credited 2
                        .state(EventUpcastingTest.Wallet.class, 1)
                        .build());
            }
        };

        assertThatThrownBy(() -> DomainLoader.register(List.of(new DomainLoader.Found(holey, "embedded")), Set.of()))
                .isInstanceOf(DomainLoadingException.class)
                .hasMessageContaining("domain 'ledger'").hasMessageContaining("aggregate wallet")
                .hasMessageContaining("Credited is at version 3 but has no upcaster from version 2");
    }

    private void assertRefused(String... parts) {
        assertThatThrownBy(() -> DomainLoader.load(new DomainsConfig(Optional.of(plugins), Set.of())))
                .isInstanceOf(DomainLoadingException.class)
                .satisfies(e -> {
                    for (String part : parts) {
                        assertThat(e.getMessage()).contains(part);
                    }
                });
    }
}
