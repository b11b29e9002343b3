package dev.modelguardian.integrations.prometheus;

import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * The two endpoints of the Prometheus HTTP API the guardian uses. Responses are read raw: Prometheus answers errors
 * (400 bad query, 422 execution error, 503 timeout) with a JSON body whose {@code error} we want to report.
 */
@Path("/api/v1")
@Produces(MediaType.APPLICATION_JSON)
public interface PrometheusApi {

    @GET
    @Path("/query")
    Response query(@QueryParam("query") String query, @QueryParam("time") String time,
            @QueryParam("timeout") String timeout, @HeaderParam("Authorization") String authorization);

    @GET
    @Path("/query_range")
    Response queryRange(@QueryParam("query") String query, @QueryParam("start") String start,
            @QueryParam("end") String end, @QueryParam("step") String step, @QueryParam("timeout") String timeout,
            @HeaderParam("Authorization") String authorization);
}
