package io.cairn.accounts;

import static java.util.Objects.requireNonNull;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One owner's accounts and balances: the {@code owners} projection's document, keyed by owner.
 *
 * @param owner    the owner
 * @param accounts the ids of the accounts opened for the owner, sorted
 * @param balances the sum of those accounts' balances, by currency; unmodifiable and sorted
 */
public record OwnerDocument(String owner, List<String> accounts, SortedMap<String, Long> balances) {

    public OwnerDocument {
        requireNonNull(owner, "owner must not be null");
        accounts = List.copyOf(new TreeSet<>(requireNonNull(accounts, "accounts must not be null")));
        balances = Collections.unmodifiableSortedMap(new TreeMap<>(requireNonNull(balances,
                "balances must not be null")));
    }

    OwnerDocument opened(String account, String currency) {
        List<String> more = new ArrayList<>(accounts);
        more.add(account);
        TreeMap<String, Long> sums = new TreeMap<>(balances);
        sums.putIfAbsent(currency, 0L);
        return new OwnerDocument(owner, more, sums);
    }

    OwnerDocument moved(String currency, long amount) {
        TreeMap<String, Long> sums = new TreeMap<>(balances);
        sums.merge(currency, amount, Long::sum);
        return new OwnerDocument(owner, accounts, sums);
    }
}
