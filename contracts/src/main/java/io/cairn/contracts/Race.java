package io.cairn.contracts;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.IntFunction;

/** Runs tasks on their own threads, released together, and collects what each returned or threw. */
final class Race {

    private static final long TIMEOUT_SECONDS = 20;

    private Race() {
    }

    record Outcome<T>(int racer, T value, Throwable error) {
        boolean succeeded() {
            return error == null;
        }
    }

    static <T> List<Outcome<T>> run(int racers, IntFunction<Callable<T>> task) {
        ExecutorService pool = Executors.newFixedThreadPool(racers);
        CountDownLatch ready = new CountDownLatch(racers);
        CountDownLatch go = new CountDownLatch(1);
        try {
            List<Future<T>> futures = new ArrayList<>(racers);
            for (int i = 0; i < racers; i++) {
                Callable<T> body = task.apply(i);
                futures.add(pool.submit(() -> {
                    ready.countDown();
                    go.await();
                    return body.call();
                }));
            }
            if (!ready.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                throw new AssertionError("racers did not start within " + TIMEOUT_SECONDS + " s");
            }
            go.countDown();
            List<Outcome<T>> outcomes = new ArrayList<>(racers);
            for (int i = 0; i < racers; i++) {
                try {
                    outcomes.add(new Outcome<>(i, futures.get(i).get(TIMEOUT_SECONDS, TimeUnit.SECONDS), null));
                } catch (ExecutionException e) {
                    outcomes.add(new Outcome<>(i, null, e.getCause()));
                } catch (TimeoutException e) {
                    throw new AssertionError("racer " + i + " did not finish within " + TIMEOUT_SECONDS + " s", e);
                }
            }
            return outcomes;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        } finally {
            pool.shutdownNow();
        }
    }
}
