package io.tandem.console.ui;

/**
 * The roles a console user can hold, as the names {@code @RolesAllowed} and
 * {@code AuthenticationContext.hasAnyRole} take (Spring authorities {@code ROLE_ADMIN} etc.).
 *
 * <ul>
 *   <li>{@link #ADMIN}: everything, including users and API keys;</li>
 *   <li>{@link #OPERATOR}: calls, routing, trunks, vendors, hang-up, drain;</li>
 *   <li>{@link #FINANCE}: accounts, top-ups, decks, CDRs, re-rating, reports and exports;</li>
 *   <li>{@link #VIEWER}: reads everything an operator or finance clerk sees, changes nothing;</li>
 *   <li>{@link #PARTNER}: a customer's or vendor's own user, bound to its account: the partner views only.</li>
 * </ul>
 */
public final class ConsoleRole {

    public static final String ADMIN = "ADMIN";
    public static final String OPERATOR = "OPERATOR";
    public static final String FINANCE = "FINANCE";
    public static final String VIEWER = "VIEWER";
    public static final String PARTNER = "PARTNER";

    private ConsoleRole() {
    }
}
