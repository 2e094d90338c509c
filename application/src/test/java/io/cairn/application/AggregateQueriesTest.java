package io.cairn.application;

import static io.cairn.application.AggregateQueries.Consistency.EVENTUAL;
import static io.cairn.application.AggregateQueries.Consistency.STRONG;
import static org.assertj.core.api.Assertions.assertThat;

import io.cairn.accounts.AccountEvent.AccountOpened;
import io.cairn.accounts.AccountEvent.Deposited;
import org.junit.jupiter.api.Test;

class AggregateQueriesTest {

    private final Ledger ledger = new Ledger();
    private final AggregateQueries<?, io.cairn.accounts.AccountState> queries = ledger.queries();

    @Test
    void an_eventual_query_answers_from_the_view_even_when_it_trails() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        ledger.putViewAt(id, 1);
        ledger.appendDirectly(id, new Deposited(9));
        ledger.store.reset();

        var answer = queries.find(id, EVENTUAL).orElseThrow();

        assertThat(answer.revision()).isEqualTo(1);
        assertThat(answer.state().balance()).isZero();
        assertThat(ledger.store.reads).hasValue(0);
    }

    @Test
    void a_strong_query_folds_the_commits_after_the_view_on_read() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));
        ledger.putViewAt(id, 1);
        ledger.appendDirectly(id, new Deposited(9));
        ledger.appendDirectly(id, new Deposited(1));
        ledger.store.reset();

        var answer = queries.find(id, STRONG).orElseThrow();

        assertThat(answer.revision()).isEqualTo(3);
        assertThat(answer.state().balance()).isEqualTo(10);
        assertThat(ledger.store.commitsRead).hasValue(2);
    }

    @Test
    void an_eventual_query_for_an_aggregate_without_a_view_yet_reads_its_stream() {
        String id = Ledger.newAccountId();
        ledger.appendDirectly(id, new AccountOpened("Ada", "EUR", 0));

        assertThat(queries.find(id, EVENTUAL)).hasValueSatisfying(v -> assertThat(v.revision()).isEqualTo(1));
    }

    @Test
    void an_aggregate_without_commits_is_not_found_at_either_consistency() {
        ledger.appendDirectly("someone-else", new AccountOpened("Bob", "EUR", 0));

        assertThat(queries.find(Ledger.newAccountId(), EVENTUAL)).isEmpty();
        assertThat(queries.find(Ledger.newAccountId(), STRONG)).isEmpty();
        assertThat(queries.find("someone-else", STRONG)).isPresent();
    }
}
