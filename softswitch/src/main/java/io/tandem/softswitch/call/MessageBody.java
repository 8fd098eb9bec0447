package io.tandem.softswitch.call;

/** A message body as it crosses from one leg to the other (an SDP offer or answer, a DTMF INFO). */
public record MessageBody(String contentType, byte[] content) {
}
