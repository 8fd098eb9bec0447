package io.tandem.billing.settlement;

import io.tandem.billing.cdr.CdrMediaStats;
import io.tandem.billing.cdr.CdrRecord;
import io.tandem.billing.cdr.HangupSide;
import io.tandem.billing.rating.RateSnapshot;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * The spool's binary form of a {@link Settlement}. Versioned by its first byte so a node upgraded
 * while its spool was non-empty still replays what the old version wrote.
 */
public final class SettlementCodec {

    /** 2 added the CDRs' media figures (issue #17); version 1 payloads are still read. */
    private static final int VERSION = 2;

    private SettlementCodec() {
    }

    public static byte[] encode(Settlement settlement) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + 512 * settlement.attempts().size());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.writeByte(VERSION);
            writeUuid(out, settlement.callUuid());
            out.writeLong(settlement.customerAccountId());
            out.writeUTF(settlement.nodeId());
            out.writeUTF(settlement.holdSource().name());
            writeInstant(out, settlement.settledAt());
            out.writeShort(settlement.attempts().size());
            for (CdrRecord cdr : settlement.attempts()) {
                writeCdr(out, cdr);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot encode settlement " + settlement.callUuid(), e);
        }
        return bytes.toByteArray();
    }

    public static Settlement decode(byte[] payload) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(payload))) {
            int version = in.readUnsignedByte();
            if (version != VERSION && version != 1) {
                throw new IllegalArgumentException("Unknown settlement encoding version " + version);
            }
            UUID callUuid = readUuid(in);
            long customer = in.readLong();
            String nodeId = in.readUTF();
            HoldSource source = HoldSource.valueOf(in.readUTF());
            Instant settledAt = readInstant(in);
            int count = in.readUnsignedShort();
            List<CdrRecord> attempts = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                attempts.add(readCdr(in, version));
            }
            return new Settlement(callUuid, customer, nodeId, source, attempts, settledAt);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot decode a spooled settlement", e);
        }
    }

    private static void writeCdr(DataOutputStream out, CdrRecord c) throws IOException {
        writeUuid(out, c.callUuid());
        out.writeInt(c.attempt());
        out.writeUTF(c.nodeId());
        out.writeUTF(c.sipCallId());
        out.writeLong(c.customerAccountId());
        writeNullableLong(out, c.ingressTrunkId());
        writeNullableLong(out, c.vendorAccountId());
        writeNullableLong(out, c.vendorGatewayId());
        out.writeUTF(c.callerIn());
        out.writeUTF(c.calleeIn());
        out.writeUTF(c.callerOut());
        out.writeUTF(c.calleeOut());
        writeInstant(out, c.startedAt());
        out.writeBoolean(c.answeredAt() != null);
        if (c.answeredAt() != null) {
            writeInstant(out, c.answeredAt());
        }
        writeInstant(out, c.endedAt());
        out.writeLong(c.durationMs());
        out.writeInt(c.billsec());
        writeNullableLong(out, c.pddMs() == null ? null : c.pddMs().longValue());
        out.writeInt(c.sipCode());
        out.writeUTF(c.sipReason());
        writeNullableLong(out, c.q850Cause() == null ? null : c.q850Cause().longValue());
        out.writeUTF(c.hangupSide().name());
        out.writeUTF(c.currency());
        writeRate(out, c.sell());
        writeRate(out, c.buy());
        writeMoney(out, c.sellCost());
        writeMoney(out, c.buyCost());
        writeMoney(out, c.margin());
        out.writeBoolean(c.media() != null);
        if (c.media() != null) {
            writeDirection(out, c.media().fromCustomer());
            writeDirection(out, c.media().fromVendor());
        }
    }

    private static void writeDirection(DataOutputStream out, CdrMediaStats.Direction d) throws IOException {
        out.writeLong(d.packets());
        out.writeLong(d.octets());
        out.writeLong(d.lost());
        out.writeInt(d.jitterMs());
    }

    private static CdrMediaStats.Direction readDirection(DataInputStream in) throws IOException {
        return new CdrMediaStats.Direction(in.readLong(), in.readLong(), in.readLong(), in.readInt());
    }

    private static CdrRecord readCdr(DataInputStream in, int version) throws IOException {
        UUID callUuid = readUuid(in);
        int attempt = in.readInt();
        String nodeId = in.readUTF();
        String sipCallId = in.readUTF();
        long customer = in.readLong();
        Long trunk = readNullableLong(in);
        Long vendor = readNullableLong(in);
        Long gateway = readNullableLong(in);
        String callerIn = in.readUTF();
        String calleeIn = in.readUTF();
        String callerOut = in.readUTF();
        String calleeOut = in.readUTF();
        Instant started = readInstant(in);
        Instant answered = in.readBoolean() ? readInstant(in) : null;
        Instant ended = readInstant(in);
        long durationMs = in.readLong();
        int billsec = in.readInt();
        Long pdd = readNullableLong(in);
        int sipCode = in.readInt();
        String sipReason = in.readUTF();
        Long q850 = readNullableLong(in);
        HangupSide side = HangupSide.valueOf(in.readUTF());
        String currency = in.readUTF();
        RateSnapshot sell = readRate(in);
        RateSnapshot buy = readRate(in);
        BigDecimal sellCost = readMoney(in);
        BigDecimal buyCost = readMoney(in);
        BigDecimal margin = readMoney(in);
        CdrMediaStats media = version >= 2 && in.readBoolean() ? new CdrMediaStats(readDirection(in), readDirection(in)) : null;
        return new CdrRecord(callUuid, attempt, nodeId, sipCallId, customer, trunk, vendor, gateway, callerIn, calleeIn,
                callerOut, calleeOut, started, answered, ended, durationMs, billsec,
                pdd == null ? null : Math.toIntExact(pdd), sipCode, sipReason,
                q850 == null ? null : Math.toIntExact(q850), side, currency, sell, buy, sellCost, buyCost, margin, media);
    }

    private static void writeRate(DataOutputStream out, RateSnapshot rate) throws IOException {
        out.writeBoolean(rate != null);
        if (rate != null) {
            out.writeUTF(rate.prefix());
            writeMoney(out, rate.ratePerMinute());
            writeMoney(out, rate.connectFee());
            out.writeInt(rate.initialIncrement());
            out.writeInt(rate.nextIncrement());
            out.writeInt(rate.graceSeconds());
        }
    }

    private static RateSnapshot readRate(DataInputStream in) throws IOException {
        if (!in.readBoolean()) {
            return null;
        }
        return new RateSnapshot(in.readUTF(), readMoney(in), readMoney(in), in.readInt(), in.readInt(), in.readInt());
    }

    private static void writeMoney(DataOutputStream out, BigDecimal amount) throws IOException {
        out.writeUTF(amount.toPlainString());
    }

    private static BigDecimal readMoney(DataInputStream in) throws IOException {
        return new BigDecimal(in.readUTF());
    }

    private static void writeUuid(DataOutputStream out, UUID uuid) throws IOException {
        out.writeLong(uuid.getMostSignificantBits());
        out.writeLong(uuid.getLeastSignificantBits());
    }

    private static UUID readUuid(DataInputStream in) throws IOException {
        return new UUID(in.readLong(), in.readLong());
    }

    private static void writeInstant(DataOutputStream out, Instant instant) throws IOException {
        out.writeLong(instant.getEpochSecond());
        out.writeInt(instant.getNano());
    }

    private static Instant readInstant(DataInputStream in) throws IOException {
        return Instant.ofEpochSecond(in.readLong(), in.readInt());
    }

    private static void writeNullableLong(DataOutputStream out, Long value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeLong(value);
        }
    }

    private static Long readNullableLong(DataInputStream in) throws IOException {
        return in.readBoolean() ? in.readLong() : null;
    }
}
