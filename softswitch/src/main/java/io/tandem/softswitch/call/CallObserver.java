package io.tandem.softswitch.call;

/**
 * Listens to calls. Called on the call's event loop: an observer must not block and must not
 * throw (a throwing observer is logged and the call goes on).
 */
@FunctionalInterface
public interface CallObserver {

    void on(CallEvent event);

    CallObserver NONE = event -> {
    };
}
