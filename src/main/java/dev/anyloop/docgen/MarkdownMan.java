package dev.anyloop.docgen;

import java.util.List;
import java.util.Locale;
import org.commonmark.ext.gfm.tables.TableBlock;
import org.commonmark.ext.gfm.tables.TableBody;
import org.commonmark.ext.gfm.tables.TableCell;
import org.commonmark.ext.gfm.tables.TableHead;
import org.commonmark.ext.gfm.tables.TableRow;
import org.commonmark.ext.gfm.tables.TablesExtension;
import org.commonmark.node.AbstractVisitor;
import org.commonmark.node.BlockQuote;
import org.commonmark.node.BulletList;
import org.commonmark.node.Code;
import org.commonmark.node.CustomBlock;
import org.commonmark.node.Emphasis;
import org.commonmark.node.FencedCodeBlock;
import org.commonmark.node.HardLineBreak;
import org.commonmark.node.Heading;
import org.commonmark.node.HtmlBlock;
import org.commonmark.node.HtmlInline;
import org.commonmark.node.IndentedCodeBlock;
import org.commonmark.node.Link;
import org.commonmark.node.ListItem;
import org.commonmark.node.Node;
import org.commonmark.node.OrderedList;
import org.commonmark.node.Paragraph;
import org.commonmark.node.SoftLineBreak;
import org.commonmark.node.StrongEmphasis;
import org.commonmark.node.Text;
import org.commonmark.node.ThematicBreak;
import org.commonmark.parser.Parser;

/**
 * A man page from a Markdown document (docs/network-yaml.md becomes network.yaml(5)): the first level-1 heading
 * "NAME — summary" is the NAME line, the text before the first level-2 heading is the DESCRIPTION, level-2 headings
 * are sections, level-3 subsections; code blocks stay verbatim, lists are indented paragraphs, tables become
 * one tagged paragraph a row. HTML is dropped: a man page cannot show it.
 */
final class MarkdownMan {
    private MarkdownMan() { }

    static String render(String markdown, String name, int section, String version, String date) {
        Parser parser = Parser.builder().extensions(List.of(TablesExtension.create())).build();
        Node doc = parser.parse(markdown);
        StringBuilder m = new StringBuilder();
        m.append(".TH ").append(Troff.quoted(name.toUpperCase(Locale.ROOT))).append(' ').append(section).append(' ')
                .append(Troff.quoted(date)).append(' ').append(Troff.quoted("anyloop " + version)).append(' ')
                .append(Troff.quoted("anyloop manual")).append('\n');
        doc.accept(new Writer(m, name));
        return m.toString();
    }

    /** Walks the Markdown tree; block nodes start lines, inline nodes append to the current one. */
    private static final class Writer extends AbstractVisitor {
        private final StringBuilder m;
        private final String name;
        private boolean named;
        private int depth;

        Writer(StringBuilder m, String name) {
            this.m = m;
            this.name = name;
        }

        @Override
        public void visit(Heading h) {
            String text = plain(h);
            if (h.getLevel() == 1 && !named) {
                named = true;
                int dash = text.indexOf(" \u2014 ");
                String summary = dash >= 0 ? text.substring(dash + 3) : text;
                line(".SH NAME");
                line(Troff.literal(name) + " \\- " + Troff.text(summary));
                line(".SH DESCRIPTION");
            } else if (h.getLevel() <= 2) {
                line(".SH " + Troff.text(text.toUpperCase(Locale.ROOT)));
            } else {
                line(".SS " + Troff.text(text));
            }
        }

        @Override
        public void visit(Paragraph p) {
            if (!(p.getParent() instanceof ListItem) || p.getPrevious() != null) line(depth > 0 ? ".IP \"\" 2" : ".PP");
            line(inline(p));
        }

        @Override
        public void visit(FencedCodeBlock c) { code(c.getLiteral()); }

        @Override
        public void visit(IndentedCodeBlock c) { code(c.getLiteral()); }

        @Override
        public void visit(BulletList l) { list(l, false); }

        @Override
        public void visit(OrderedList l) { list(l, true); }

        @Override
        public void visit(BlockQuote q) {
            line(".RS 4");
            visitChildren(q);
            line(".RE");
        }

        @Override
        public void visit(ThematicBreak t) { line(".PP"); }

        @Override
        public void visit(HtmlBlock h) { }

        @Override
        public void visit(CustomBlock b) {
            if (!(b instanceof TableBlock)) return;
            // one tagged paragraph a row: the first cell bold, the others after it (tbl would need a preprocessor line)
            for (Node part = b.getFirstChild(); part != null; part = part.getNext()) {
                if (part instanceof TableHead) continue;
                if (!(part instanceof TableBody)) continue;
                for (Node row = part.getFirstChild(); row != null; row = row.getNext()) {
                    if (!(row instanceof TableRow)) continue;
                    line(".TP");
                    StringBuilder rest = new StringBuilder();
                    boolean first = true;
                    for (Node cell = row.getFirstChild(); cell != null; cell = cell.getNext()) {
                        if (!(cell instanceof TableCell)) continue;
                        if (first) {
                            line("\\fB" + inline(cell) + "\\fR");
                            first = false;
                        } else {
                            if (rest.length() > 0) rest.append(" \\(em ");
                            rest.append(inline(cell));
                        }
                    }
                    line(rest.length() > 0 ? rest.toString() : "\\&");
                }
            }
        }

        private void list(Node l, boolean ordered) {
            if (depth > 0) line(".RS 2");
            depth++;
            int n = l instanceof OrderedList ? ((OrderedList) l).getMarkerStartNumber() : 1;
            for (Node item = l.getFirstChild(); item != null; item = item.getNext()) {
                line(ordered ? ".IP " + (n++) + ". 4" : ".IP \\(bu 2");
                visitChildren(item);
            }
            depth--;
            if (depth > 0) line(".RE");
            else line(".PP");
        }

        private void code(String literal) {
            line(depth > 0 ? ".IP \"\" 2" : ".PP");
            line(".RS 4");
            line(".nf");
            String body = literal.endsWith("\n") ? literal.substring(0, literal.length() - 1) : literal;
            for (String l : body.split("\n", -1)) line(l.isEmpty() ? "" : Troff.literal(l));
            line(".fi");
            line(".RE");
        }

        private void line(String s) {
            // a blank line in man source is a paragraph break groff warns about in fill mode; inside .nf it is one empty line
            m.append(s.isEmpty() ? "\\&" : s).append('\n');
        }
    }

    /** A node's inline content as one troff line. */
    static String inline(Node parent) {
        StringBuilder sb = new StringBuilder();
        parent.accept(new AbstractVisitor() {
            @Override
            public void visit(Text t) { sb.append(Troff.inlineText(t.getLiteral())); }

            @Override
            public void visit(Code c) { sb.append(Troff.inlineBold(c.getLiteral())); }

            @Override
            public void visit(Emphasis e) {
                sb.append("\\fI");
                visitChildren(e);
                sb.append("\\fR");
            }

            @Override
            public void visit(StrongEmphasis e) {
                sb.append("\\fB");
                visitChildren(e);
                sb.append("\\fR");
            }

            @Override
            public void visit(Link l) {
                visitChildren(l);
                String url = l.getDestination();
                if (url.startsWith("http://") || url.startsWith("https://")) sb.append(" <").append(Troff.literal(url)).append('>');
            }

            @Override
            public void visit(SoftLineBreak b) { sb.append(' '); }

            @Override
            public void visit(HardLineBreak b) { sb.append("\n.br\n"); }

            @Override
            public void visit(HtmlInline h) { }
        });
        String s = sb.toString().trim();
        // a line that starts with a control character would be a request
        return s.startsWith(".") || s.startsWith("'") ? "\\&" + s : s;
    }

    /** A heading's text without markup. */
    private static String plain(Node n) {
        StringBuilder sb = new StringBuilder();
        n.accept(new AbstractVisitor() {
            @Override
            public void visit(Text t) { sb.append(t.getLiteral()); }

            @Override
            public void visit(Code c) { sb.append(c.getLiteral()); }
        });
        return sb.toString().trim();
    }
}
