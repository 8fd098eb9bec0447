package io.tandem.softswitch.sip.message;

/** Where {@link SipMessage#writeTo(ByteSink)} puts its bytes; lets the model stay free of Netty types. */
@FunctionalInterface
public interface ByteSink {
    void write(byte[] bytes, int offset, int length);
}
