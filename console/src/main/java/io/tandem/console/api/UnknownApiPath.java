package io.tandem.console.api;

import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers an API path that no controller serves with a JSON 404. Without it the request falls
 * through to the console's servlet, which sends a script its sign-in page (a 302).
 * Every real endpoint's pattern is more specific than {@code /api/**}, so this never shadows one.
 */
@Hidden
@RestController
public class UnknownApiPath {

    @RequestMapping("/api/**")
    ResponseEntity<Object> unknown(HttpServletRequest request) {
        String path = request.getRequestURI();
        if (path.length() > 200) {
            path = path.substring(0, 200) + "…";
        }
        return ApiError.status(HttpStatus.NOT_FOUND, "no such API resource: " + request.getMethod() + " " + path
                + " (the endpoints are listed in /v3/api-docs)");
    }
}
