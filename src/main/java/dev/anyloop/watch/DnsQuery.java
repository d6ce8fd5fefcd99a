package dev.anyloop.watch;

import dev.anyloop.intent.CheckSpec;
import java.io.IOException;
import java.util.concurrent.ThreadLocalRandom;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

/**
 * One DNS query of a dns check and the judgement of what came back, both through dnsjava: the answer must carry the
 * query's ID and question and the QR flag, and (when the check lists rcodes) one of those rcodes. dnsjava types stay
 * in this class.
 */
final class DnsQuery {
    /** What an answer says: ok, a failure, or foreign (another query's answer: ignore it). */
    record Verdict(boolean ok, boolean foreign, String detail) { }

    /** What every query of one check asks, built once: the question and its wire form (ID 0). */
    static final class Question {
        final CheckSpec.Dns check;
        final Record record;
        private final byte[] wire;

        Question(CheckSpec.Dns check) {
            this.check = check;
            try {
                this.record = Record.newRecord(Name.fromString(check.name(), Name.root), Type.value(check.type()), DClass.IN);
            } catch (TextParseException e) {
                throw new IllegalArgumentException("invalid DNS name '" + check.name() + "': " + e.getMessage(), e);
            }
            Message m = Message.newQuery(record);
            m.getHeader().setID(0);
            this.wire = m.toWire();
        }
    }

    private final Question q;
    private final CheckSpec.Dns check;
    private final Record question;
    private final int id;

    DnsQuery(CheckSpec.Dns check) { this(new Question(check)); }

    /** A query of {@code q} with a random ID. */
    DnsQuery(Question q) { this(q, ThreadLocalRandom.current().nextInt(0x10000)); }

    private DnsQuery(Question q, int id) {
        this.q = q;
        this.check = q.check;
        this.question = q.record;
        this.id = id;
    }

    int id() { return id; }

    /** The same query with another ID (this one is in flight already). */
    DnsQuery again() { return new DnsQuery(q, (id + 1) & 0xffff); }

    private static String clip(String s) { return s.length() > 40 ? s.substring(0, 40) + "..." : s; }

    /** The query on the wire: the question's bytes with this ID in the header's first two bytes (RFC 1035 4.1.1). */
    byte[] wire() {
        byte[] m = q.wire.clone();
        m[0] = (byte) (id >>> 8);
        m[1] = (byte) id;
        return m;
    }

    Verdict judge(byte[] answer) {
        Message m;
        try {
            m = new Message(answer);
        } catch (IOException e) {
            return new Verdict(false, false, "malformed answer (" + e.getMessage() + ")");
        }
        if (m.getHeader().getID() != id || m.getQuestion() == null || !m.getQuestion().getName().equals(question.getName())
                || m.getQuestion().getType() != question.getType()) {
            return new Verdict(false, true, "answer to another query");
        }
        if (!m.getHeader().getFlag(org.xbill.DNS.Flags.QR)) return new Verdict(false, false, "a query, not an answer");
        String rcode = Rcode.string(m.getRcode());
        var answers = m.getSection(Section.ANSWER);
        String detail = rcode + ", " + answers.size() + " answer record" + (answers.size() == 1 ? "" : "s")
                + (answers.isEmpty() ? "" : " (" + clip(answers.get(0).rdataToString()) + ")");
        if (!check.rcodes().isEmpty() && !check.rcodes().contains(rcode)) {
            return new Verdict(false, false, "rcode " + rcode + ", expected " + String.join(" or ", check.rcodes()));
        }
        return new Verdict(true, false, detail);
    }
}
