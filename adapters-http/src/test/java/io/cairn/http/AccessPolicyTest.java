package io.cairn.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.javalin.http.HandlerType;
import org.junit.jupiter.api.Test;

class AccessPolicyTest {

    private final AccessPolicy policy = AccessPolicy.builder()
            .rule(HandlerType.GET, "/health", Access.OPEN)
            .rule(HandlerType.POST, "/projections/**", Access.ADMIN)
            .rule(HandlerType.POST, "/streams/{stream}", Access.WRITE)
            .rule(HandlerType.POST, "/*/{id}/*", Access.WRITE)
            .build();

    @Test
    void the_first_rule_that_matches_wins() {
        assertThat(policy.access(HandlerType.POST, "/projections/accounts-view/rebuild")).isEqualTo(Access.ADMIN);
        assertThat(policy.access(HandlerType.POST, "/accounts/42/open")).isEqualTo(Access.WRITE);
        assertThat(policy.access(HandlerType.POST, "/streams/order-7")).isEqualTo(Access.WRITE);
        assertThat(policy.access(HandlerType.GET, "/health")).isEqualTo(Access.OPEN);
    }

    @Test
    void a_parameter_matches_one_nonempty_segment_and_a_trailing_double_star_any_rest() {
        assertThat(policy.access(HandlerType.POST, "/streams/a/b/c")).isEqualTo(Access.ADMIN);
        assertThat(policy.access(HandlerType.POST, "/streams/")).isEqualTo(Access.ADMIN);
        assertThat(policy.access(HandlerType.POST, "/projections")).isEqualTo(Access.ADMIN);
        assertThat(policy.access(HandlerType.GET, "/health/")).isEqualTo(Access.OPEN);
        assertThat(policy.access(HandlerType.GET, "/healthz")).isEqualTo(Access.READ);
    }

    @Test
    void a_trailing_slash_crossing_parameter_matches_one_or_more_segments() {
        AccessPolicy views = AccessPolicy.builder().rule(HandlerType.POST, "/views/{projection}/<key>", Access.WRITE)
                .build();
        assertThat(views.access(HandlerType.POST, "/views/p/a")).isEqualTo(Access.WRITE);
        assertThat(views.access(HandlerType.POST, "/views/p/a/b/c")).isEqualTo(Access.WRITE);
        assertThat(views.access(HandlerType.POST, "/views/p")).isEqualTo(Access.ADMIN);
        assertThat(views.access(HandlerType.POST, "/views/p/")).isEqualTo(Access.ADMIN);
        assertThat(OpenApi.documented("/views/{projection}/<key>")).isEqualTo("/views/{projection}/{key}");
    }

    @Test
    void without_a_rule_get_needs_read_and_anything_else_admin() {
        assertThat(policy.access(HandlerType.GET, "/views/x/1")).isEqualTo(Access.READ);
        assertThat(policy.access(HandlerType.DELETE, "/streams/order-7")).isEqualTo(Access.ADMIN);
        assertThat(policy.access(HandlerType.PUT, "/anything")).isEqualTo(Access.ADMIN);
    }

    @Test
    void roles_are_ordered_admin_write_read() {
        assertThat(Role.ADMIN.grants(Role.WRITE)).isTrue();
        assertThat(Role.WRITE.grants(Role.READ)).isTrue();
        assertThat(Role.READ.grants(Role.WRITE)).isFalse();
        assertThat(new Principal("p", java.util.Set.of(Role.WRITE)).may(Role.ADMIN)).isFalse();
        assertThatThrownBy(() -> Role.of("root")).hasMessageContaining("read, write, admin");
    }

    @Test
    void a_double_star_only_ends_a_pattern() {
        assertThatThrownBy(() -> AccessPolicy.builder().rule(HandlerType.GET, "/a/**/b", Access.READ))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> AccessPolicy.builder().rule(HandlerType.GET, "a", Access.READ))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
