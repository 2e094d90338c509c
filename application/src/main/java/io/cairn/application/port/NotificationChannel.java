package io.cairn.application.port;

/** Both channels that feed projectors: the durable catch-up channel and the fast in-process one. */
public interface NotificationChannel extends DurableChannel, FastChannel {
}
