package dev.herald.api.openapi;

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
