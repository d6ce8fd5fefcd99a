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

    private final CheckSpec.Dns check;
    private final int id;
    private final Record question;

    DnsQuery(CheckSpec.Dns check) { this(check, ThreadLocalRandom.current().nextInt(0x10000)); }

    private DnsQuery(CheckSpec.Dns check, int id) {
        this.check = check;
        this.id = id;
        try {
            this.question = Record.newRecord(Name.fromString(check.name(), Name.root), Type.value(check.type()), DClass.IN);
        } catch (TextParseException e) {
            throw new IllegalArgumentException("invalid DNS name '" + check.name() + "': " + e.getMessage(), e);
        }
    }

    int id() { return id; }

    /** The same query with another ID (this one is in flight already). */
    DnsQuery again() { return new DnsQuery(check, (id + 1) & 0xffff); }

    private static String clip(String s) { return s.length() > 40 ? s.substring(0, 40) + "..." : s; }

    byte[] wire() {
        Message m = Message.newQuery(question);
        m.getHeader().setID(id);
        return m.toWire();
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
