package io.cairn.bootstrap;

import io.cairn.application.Projector;
import io.cairn.application.Service;
import io.cairn.domain.account.AccountEvent;
import io.cairn.domain.account.AccountState;
import jakarta.inject.Inject;

/** Runs the accounts projector for as long as the process lives. */
final class ProjectorService implements Service {

    private final Projector<AccountEvent, AccountState> projector;

    @Inject
    ProjectorService(Projector<AccountEvent, AccountState> projector) {
        this.projector = projector;
    }

    @Override
    public String name() {
        return "projector " + projector.name();
    }

    @Override
    public void start() {
        projector.start();
    }

    @Override
    public void stop() {
        projector.stop();
    }
}
