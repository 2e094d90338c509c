/**
 * Contract suites, one per port, written once and run against every adapter (in the manner of occurrent's TCK).
 *
 * <p>Each suite is an abstract JUnit 5 class holding the tests. An adapter's test extends it and supplies a fixture
 * that returns an <em>empty</em> store, fresh for every test:
 *
 * <pre>{@code
 * class InMemoryEventStoreTest extends EventStoreContract {
 *     @Override
 *     protected EventStore newStore() {
 *         return new InMemoryEventStore();
 *     }
 * }
 * }</pre>
 *
 * An adapter that lacks a capability declines it by not extending that suite, never by skipping tests. Every test
 * fails against a store that does nothing; the module's own tests prove it.
 */
package io.cairn.contracts;
