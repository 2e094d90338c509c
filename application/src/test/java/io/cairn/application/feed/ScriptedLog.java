package io.cairn.application.feed;

import io.cairn.application.port.GlobalLog;
import io.cairn.application.port.GlobalSlice;
import io.cairn.application.port.StoreUnavailableException;
import io.cairn.domain.RecordedCommit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A global log over another that can run something just before its n-th read (a release racing the history read),
 * show only positions up to a limit (a log that lags behind the gate) or be down.
 */
final class ScriptedLog implements GlobalLog {

    private final GlobalLog log;
    private final Map<Integer, Runnable> beforeRead = new ConcurrentHashMap<>();
    private final AtomicInteger reads = new AtomicInteger();
    private final AtomicLong visibleUpTo = new AtomicLong(Long.MAX_VALUE);
    private volatile boolean down;

    ScriptedLog(GlobalLog log) {
        this.log = log;
    }

    /** Runs {@code action} on the reading thread just before read number {@code read} (1-based). */
    ScriptedLog beforeRead(int read, Runnable action) {
        beforeRead.put(read, action);
        return this;
    }

    void showUpTo(long position) {
        visibleUpTo.set(position);
    }

    void down() {
        down = true;
    }

    int reads() {
        return reads.get();
    }

    @Override
    public long headPosition() {
        return Math.min(visibleUpTo.get(), log.headPosition());
    }

    @Override
    public GlobalSlice readAll(long fromPosition, int maxCommits) {
        Runnable action = beforeRead.remove(reads.incrementAndGet());
        if (action != null) {
            action.run();
        }
        if (down) {
            throw new StoreUnavailableException("the log is down", null);
        }
        List<RecordedCommit> visible = new ArrayList<>();
        for (RecordedCommit commit : log.readAll(fromPosition, maxCommits).commits()) {
            if (commit.position().getAsLong() <= visibleUpTo.get()) {
                visible.add(commit);
            }
        }
        return new GlobalSlice(fromPosition, visible);
    }
}
