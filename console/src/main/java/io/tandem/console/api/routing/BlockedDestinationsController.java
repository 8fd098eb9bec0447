package io.tandem.console.api.routing;

import io.tandem.console.accounts.AccountService;
import io.tandem.console.api.ApiError;
import io.tandem.console.api.ApiOutcomes;
import io.tandem.console.service.Caller;
import jakarta.servlet.http.HttpServletRequest;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * A customer's blocked destinations: calls to these prefixes get {@code 403} before any vendor is
 * tried. Routing on this node reloads at once; peers within a second. A thin adapter over {@link AccountService}.
 */
@RestController
@RequestMapping("/api/v1/accounts/{accountId}/blocked-destinations")
public class BlockedDestinationsController {

    private final AccountService accounts;

    public BlockedDestinationsController(AccountService accounts) {
        this.accounts = accounts;
    }

    public record BlockRequest(String prefix, String reason) {
    }

    @GetMapping
    public ResponseEntity<Object> list(@PathVariable long accountId) {
        return accounts.blockedDestinations(accountId).<ResponseEntity<Object>>map(ResponseEntity::ok)
                .orElseGet(() -> ApiError.notFound("account", accountId));
    }

    @PostMapping
    public ResponseEntity<Object> add(@PathVariable long accountId, @RequestBody BlockRequest request, HttpServletRequest http) {
        return ApiOutcomes.created(accounts.block(Caller.current(http.getRemoteAddr()), accountId, request.prefix(), request.reason()),
                saved -> URI.create("/api/v1/accounts/" + accountId + "/blocked-destinations/" + saved.id()), saved -> saved);
    }

    @DeleteMapping("/{blockedId}")
    public ResponseEntity<Object> delete(@PathVariable long accountId, @PathVariable long blockedId, HttpServletRequest http) {
        return ApiOutcomes.respond(accounts.unblock(Caller.current(http.getRemoteAddr()), accountId, blockedId),
                deleted -> ResponseEntity.noContent().build());
    }
}
