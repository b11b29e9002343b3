package dev.modelguardian.integrations.scrape;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.core.Response;

/** A Prometheus text-format endpoint; the base URI is the full scrape URL. */
public interface ScrapeApi {

    @GET
    Response scrape(@HeaderParam("Accept") String accept);
}
