package dev.herald.api.openapi;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import com.fasterxml.jackson.databind.JsonNode;
import dev.herald.api.http.Json;
import dev.herald.store.PageRequest;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.PathItem;
import io.swagger.v3.parser.OpenAPIV3Parser;
import io.swagger.v3.parser.core.models.ParseOptions;
import io.swagger.v3.parser.core.models.SwaggerParseResult;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

class OpenApiDocumentTest {
    private static final Pattern TEMPLATE_PARAMETER = Pattern.compile("\\{([^}]+)}");

    private static SwaggerParseResult parse() {
        var options = new ParseOptions();
        options.setResolve(true);
        String json = new String(OpenApiDocument.load().json(), StandardCharsets.UTF_8);
        return new OpenAPIV3Parser().readContents(json, null, options);
    }

    @Test
    void documentIsValidOpenApi31WithoutAnyParserMessage() {
        SwaggerParseResult result = parse();

        assertThat(result.getMessages()).isEmpty();
        assertThat(result.getOpenAPI()).isNotNull();
        assertThat(result.getOpenAPI().getOpenapi()).isEqualTo("3.1.0");
    }

    @Test
    void everyOperationHasAUniqueIdResponsesAndItsPathParametersDeclared() {
        OpenAPI api = parse().getOpenAPI();
        var ids = new HashSet<String>();
        for (Map.Entry<String, PathItem> path : api.getPaths().entrySet()) {
            for (Map.Entry<PathItem.HttpMethod, Operation> entry : path.getValue().readOperationsMap().entrySet()) {
                Operation operation = entry.getValue();
                String where = entry.getKey() + " " + path.getKey();
                assertThat(operation.getOperationId()).as(where).isNotBlank();
                assertThat(ids.add(operation.getOperationId())).as("unique operationId at %s", where).isTrue();
                assertThat(operation.getResponses()).as(where).isNotEmpty();
                Matcher m = TEMPLATE_PARAMETER.matcher(path.getKey());
                while (m.find()) {
                    String name = m.group(1);
                    assertThat(operation.getParameters()).as("%s declares {%s}", where, name)
                            .anySatisfy(p -> {
                                assertThat(p.getName()).isEqualTo(name);
                                assertThat(p.getIn()).isEqualTo("path");
                            });
                }
            }
        }
    }

    @Test
    void everyExampleMatchesItsOwnSchema() throws Exception {
        JsonNode document = Json.mapper().readTree(OpenApiDocument.load().json());
        var validator = OpenApiInteractionValidator.createForInlineApiSpecification(document.toString()).build();
        var checked = new java.util.ArrayList<String>();
        for (var path : document.path("paths").properties()) {
            for (var operation : path.getValue().properties()) {
                String method = operation.getKey().toUpperCase(java.util.Locale.ROOT);
                JsonNode requestExample = operation.getValue().path("requestBody").path("content")
                        .path("application/json").path("example");
                if (!requestExample.isMissingNode()) {
                    var request = new SimpleRequest.Builder(method, path.getKey())
                            .withContentType("application/json").withBody(requestExample.toString()).build();
                    assertNoBodyErrors(method + " " + path.getKey() + " request example",
                            validator.validateRequest(request));
                    checked.add(method + " " + path.getKey());
                }
                for (var response : operation.getValue().path("responses").properties()) {
                    JsonNode example = response.getValue().path("content").path("application/json").path("example");
                    if (example.isMissingNode()) {
                        continue;
                    }
                    var answer = new SimpleResponse.Builder(Integer.parseInt(response.getKey()))
                            .withContentType("application/json").withBody(example.toString()).build();
                    assertNoBodyErrors(method + " " + path.getKey() + " " + response.getKey() + " example",
                            validator.validateResponse(path.getKey(), Request.Method.valueOf(method), answer));
                    checked.add(method + " " + path.getKey() + " " + response.getKey());
                }
            }
        }
        assertThat(checked).contains("PATCH /v1/webhooks/{id}", "POST /v1/events 202", "GET /v1/events 200");
    }

    private static void assertNoBodyErrors(String what, ValidationReport report) {
        assertThat(report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR && m.getKey().contains(".body"))
                .map(m -> m.getKey() + ": " + m.getMessage()).toList()).as(what).isEmpty();
    }

    @Test
    void serversAreRelativeAndListsTakeTheServersLimits() throws Exception {
        JsonNode document = Json.mapper().readTree(OpenApiDocument.load().json());

        assertThat(document.path("servers").get(0).path("url").asText()).isEqualTo("/");
        JsonNode limit = document.path("components").path("parameters").path("Limit").path("schema");
        assertThat(limit.path("maximum").asInt()).isEqualTo(PageRequest.MAX_LIMIT);
        assertThat(limit.path("minimum").asInt()).isEqualTo(1);
    }

    @Test
    void everyIdempotentOperationDocumentsTheConflict() throws Exception {
        JsonNode document = Json.mapper().readTree(OpenApiDocument.load().json());
        var idempotent = new java.util.ArrayList<String>();
        for (var path : document.path("paths").properties()) {
            for (var operation : path.getValue().properties()) {
                boolean takesKey = false;
                for (JsonNode parameter : operation.getValue().path("parameters")) {
                    takesKey |= parameter.path("$ref").asText().endsWith("/IdempotencyKey");
                }
                if (takesKey) {
                    idempotent.add(operation.getKey() + " " + path.getKey());
                    assertThat(operation.getValue().path("responses").has("409"))
                            .as("%s %s documents 409", operation.getKey(), path.getKey()).isTrue();
                }
            }
        }
        assertThat(idempotent).contains("post /v1/events", "post /v1/webhooks", "post /api/v1/webhooks",
                "post /api/integrations/webhooks/subscriptions");
    }

    @Test
    void seedExamplesAreShownForEachSurfacesCreateOperation() {
        OpenAPI api = parse().getOpenAPI();
        record Case(String path, String field) {
        }
        for (Case c : new Case[]{
                new Case("/v1/webhooks", "events"),
                new Case("/api/v1/webhooks", "secret_key"),
                new Case("/api/integrations/webhooks/subscriptions", "endpointUrl")}) {
            Object example = api.getPaths().get(c.path()).getPost().getRequestBody().getContent()
                    .get("application/json").getExample();
            assertThat(example).as(c.path()).isNotNull();
            assertThat(example.toString()).as(c.path()).contains(c.field());
        }
    }
}
