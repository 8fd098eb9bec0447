package io.tandem.billing.invoicing;

import io.tandem.billing.account.Money;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.apache.pdfbox.pdmodel.font.PDFont;
import org.apache.pdfbox.pdmodel.font.PDType0Font;

/**
 * Renders an invoice, credit note or vendor statement as an A4 PDF with Apache PDFBox. The fonts are DejaVu
 * Sans and DejaVu Sans Bold (Bitstream Vera licence, free to embed and redistribute; the file ships beside
 * the fonts as {@code LICENSE-DejaVu.txt}), bundled in this jar and embedded in every document as subsets,
 * so the PDF looks the same on any reader and any name (accents, Cyrillic, Greek) prints.
 */
public final class InvoicePdfRenderer {

    private static final String FONTS = "/io/tandem/billing/invoicing/fonts/";
    private static final float MARGIN = 50;
    private static final float LEADING = 14;
    private static final float[] COLUMNS = {MARGIN, MARGIN + 70, MARGIN + 270, MARGIN + 330, MARGIN + 410};
    private static final DateTimeFormatter DAY = DateTimeFormatter.ISO_LOCAL_DATE.withZone(ZoneOffset.UTC);

    /** Writes the invoice's PDF to {@code out}. */
    public void render(Invoice invoice, OutputStream out) {
        String title = (invoice.kind() == InvoiceKind.CREDIT_NOTE ? "Credit note " : "Invoice ") + invoice.documentNumber();
        List<String> header = new ArrayList<>();
        header.add("Account: " + invoice.accountName() + " (id " + invoice.accountId() + ")");
        header.add("Period: " + DAY.format(invoice.period().start()) + " to "
                + DAY.format(invoice.period().end().minusMillis(1)) + " (UTC)");
        header.add("Issued: " + DAY.format(invoice.issuedAt()) + " by " + invoice.issuedBy());
        if (invoice.kind() == InvoiceKind.CREDIT_NOTE) {
            header.add("Reason: " + invoice.reason());
        }
        header.add("Currency: " + invoice.currency());
        List<String[]> totals = new ArrayList<>();
        totals.add(new String[] {"Opening balance", money(invoice.openingBalance())});
        totals.add(new String[] {"Usage", money(invoice.usage())});
        totals.add(new String[] {"Top-ups", money(invoice.topups())});
        totals.add(new String[] {"Adjustments", money(invoice.adjustments())});
        totals.add(new String[] {"Closing balance", money(invoice.closingBalance())});
        if (invoice.taxRate().signum() > 0) {
            totals.add(new String[] {invoice.taxLabel() + " (" + percent(invoice.taxRate()) + ")", money(invoice.tax())});
        }
        totals.add(new String[] {invoice.kind() == InvoiceKind.CREDIT_NOTE ? "Total credited" : "Total charges incl. tax",
                money(invoice.totalDue().abs())});
        write(title, header, invoice.lines(), totals, out);
    }

    /** Writes a vendor statement's PDF to {@code out}. */
    public void render(VendorStatement statement, OutputStream out) {
        List<String> header = List.of("Vendor: " + statement.vendorName() + " (id " + statement.vendorAccountId() + ")",
                "Period: " + DAY.format(statement.period().start()) + " to "
                        + DAY.format(statement.period().end().minusMillis(1)) + " (UTC)",
                "Produced: " + DAY.format(statement.producedAt()), "Currency: " + statement.currency());
        List<String[]> totals = List.<String[]>of(new String[] {"Owed to vendor", money(statement.total())});
        write("Vendor statement " + statement.period().label(), header, statement.lines(), totals, out);
    }

    private void write(String title, List<String> header, List<InvoiceLine> lines, List<String[]> totals, OutputStream out) {
        try (PDDocument document = new PDDocument()) {
            PDFont regular = font(document, "DejaVuSans.ttf");
            PDFont bold = font(document, "DejaVuSans-Bold.ttf");
            PDDocumentInformation info = document.getDocumentInformation();
            info.setTitle(title);
            info.setProducer("Tandem");
            Page page = new Page(document);
            page.text(bold, 16, MARGIN, title);
            page.y -= 8;
            for (String line : header) {
                page.text(regular, 10, MARGIN, line);
            }
            page.y -= 8;
            page.row(bold, "Kind", "Destination", "Calls", "Minutes", "Amount");
            for (InvoiceLine line : lines) {
                if (page.y < MARGIN + LEADING) {
                    page.close();
                    page = new Page(document);
                    page.row(bold, "Kind", "Destination", "Calls", "Minutes", "Amount");
                }
                boolean usage = line.kind() == InvoiceLineKind.USAGE;
                String destination = line.prefix().isEmpty() ? line.description() : line.prefix() + " " + line.description();
                page.row(regular, line.kind().code(), clip(destination, 34), usage ? Long.toString(line.calls()) : "",
                        usage ? line.billedMinutes().toPlainString() : "", money(line.amount()));
            }
            page.y -= 8;
            for (String[] total : totals) {
                if (page.y < MARGIN + LEADING) {
                    page.close();
                    page = new Page(document);
                }
                page.text(bold, 10, COLUMNS[1], total[0]);
                page.y += LEADING;
                page.text(bold, 10, COLUMNS[4], total[1]);
            }
            page.close();
            document.save(out);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot render " + title, e);
        }
    }

    private static PDFont font(PDDocument document, String file) throws IOException {
        try (InputStream in = InvoicePdfRenderer.class.getResourceAsStream(FONTS + file)) {
            if (in == null) {
                throw new IOException("font " + file + " is missing from the jar");
            }
            return PDType0Font.load(document, in, true);
        }
    }

    private static String clip(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }

    static String money(BigDecimal amount) {
        return Money.format(amount);
    }

    private static String percent(BigDecimal rate) {
        return rate.movePointRight(2).stripTrailingZeros().toPlainString() + " %";
    }

    /** One page being written, top to bottom. */
    private static final class Page {
        private final PDPageContentStream content;
        float y;

        Page(PDDocument document) throws IOException {
            PDPage page = new PDPage(PDRectangle.A4);
            document.addPage(page);
            content = new PDPageContentStream(document, page);
            y = PDRectangle.A4.getHeight() - MARGIN;
        }

        void text(PDFont font, float size, float x, String text) throws IOException {
            content.beginText();
            content.setFont(font, size);
            content.newLineAtOffset(x, y);
            content.showText(printable(font, text));
            content.endText();
            y -= LEADING;
        }

        void row(PDFont font, String... cells) throws IOException {
            for (int i = 0; i < cells.length; i++) {
                content.beginText();
                content.setFont(font, 9);
                content.newLineAtOffset(COLUMNS[i], y);
                content.showText(printable(font, cells[i]));
                content.endText();
            }
            y -= LEADING;
        }

        void close() throws IOException {
            content.close();
        }

        /**
         * Control characters, and letters DejaVu has no glyph for (CJK, for one), would make PDFBox refuse the
         * whole document: they print as {@code ?} instead.
         */
        private static String printable(PDFont font, String text) {
            StringBuilder out = new StringBuilder(text.length());
            text.codePoints().forEach(c -> {
                if (Character.isISOControl(c)) {
                    out.append(' ');
                } else if (c < 128) {
                    out.appendCodePoint(c);
                } else {
                    String glyph = new String(Character.toChars(c));
                    out.append(encodable(font, glyph) ? glyph : "?");
                }
            });
            return out.toString();
        }

        private static boolean encodable(PDFont font, String glyph) {
            try {
                font.encode(glyph);
                return true;
            } catch (IOException | IllegalArgumentException e) {
                // PDFBox's only answer to "no glyph for this character"; the caller prints '?' instead.
                return false;
            }
        }
    }
}
