package io.tandem.console.ui.forms;

import com.vaadin.flow.component.combobox.ComboBox;
import com.vaadin.flow.data.provider.CallbackDataProvider;
import io.tandem.billing.account.Account;
import java.util.List;
import java.util.function.ToIntFunction;

/**
 * Makes a {@link ComboBox} of accounts lazy: each page the box shows is one query on the server for the names
 * containing what the user typed, so a carrier with tens of thousands of accounts can pick any of them
 * without the browser (or the view) holding the list. Items are told apart by id, so an account read again
 * (its balance moved) is still the selected one.
 */
public final class AccountPicker {

    /** One page of the accounts whose name contains {@code text} (any case; blank = all), by name. */
    @FunctionalInterface
    public interface AccountPage {
        List<Account> page(String text, int offset, int limit);
    }

    private AccountPicker() {
    }

    /** {@code page} and {@code count}: an application service's role-checked search and its count. */
    public static void lazy(ComboBox<Account> box, AccountPage page, ToIntFunction<String> count) {
        box.setItems(new CallbackDataProvider<Account, String>(
                query -> page.page(query.getFilter().orElse(""), query.getOffset(), query.getLimit()).stream(),
                query -> count.applyAsInt(query.getFilter().orElse("")),
                Account::id));
    }
}
