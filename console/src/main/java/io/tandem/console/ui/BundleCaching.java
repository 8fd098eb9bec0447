package io.tandem.console.ui;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;
import java.io.IOException;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a browser keep Vaadin's production bundle for a year without asking again. The files under
 * {@code /VAADIN/build/} carry a hash of their content in their names (a new Vaadin version brings new names), so
 * a cached copy is never stale; Vaadin itself sends {@code max-age=3600}, after which every page load of a console
 * left open revalidates each of the bundle's scripts. Other responses keep their own headers.
 */
@Configuration(proxyBeanMethods = false)
public class BundleCaching {

    /** A year, as {@code Cache-Control}: the longest lifetime caches honour. */
    static final String HASHED_FILE_CACHING = "public, max-age=31536000, immutable";

    @Bean
    FilterRegistrationBean<OncePerRequestFilter> hashedBundleCaching() {
        FilterRegistrationBean<OncePerRequestFilter> registration = new FilterRegistrationBean<>(new OncePerRequestFilter() {
            @Override
            protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
                    throws ServletException, IOException {
                chain.doFilter(request, new CacheControlFixed(response));
            }
        });
        registration.addUrlPatterns("/VAADIN/build/*");
        registration.setName("hashedBundleCaching");
        return registration;
    }

    /** A response whose {@code Cache-Control} is {@link #HASHED_FILE_CACHING} whatever the handler sets. */
    private static final class CacheControlFixed extends HttpServletResponseWrapper {
        CacheControlFixed(HttpServletResponse response) {
            super(response);
            response.setHeader("Cache-Control", HASHED_FILE_CACHING);
        }

        @Override
        public void setHeader(String name, String value) {
            super.setHeader(name, "Cache-Control".equalsIgnoreCase(name) ? HASHED_FILE_CACHING : value);
        }

        @Override
        public void addHeader(String name, String value) {
            if ("Cache-Control".equalsIgnoreCase(name)) {
                super.setHeader(name, HASHED_FILE_CACHING);
            } else {
                super.addHeader(name, value);
            }
        }
    }
}
