using Dashboard.Core.Security;

namespace Dashboard.Tests.Security;

public sealed class AuthorizerTests
{
    private static UserDirectory Directory(params ConfiguredUser[] users) => new(new SecurityOptions { Users = users.ToList() }, new InMemoryUserStore());

    private static ConfiguredUser User(string name, string role, params DataSourcePermission[] permissions) =>
        new() { Name = name, Password = "password-" + name, Role = role, Permissions = permissions.ToList() };

    private static ResourceAction Ds(string name, DruidAction action) => new(Resource.DataSource(name), action);

    [Fact]
    public void PasswordHasher_IsSaltedPbkdf2_AndVerifiesOnlyTheRightPassword()
    {
        var a = PasswordHasher.Hash("correct horse");
        var b = PasswordHasher.Hash("correct horse");

        Assert.StartsWith($"pbkdf2-sha256${PasswordHasher.Iterations}$", a);
        Assert.NotEqual(a, b);
        Assert.True(PasswordHasher.Verify("correct horse", a));
        Assert.False(PasswordHasher.Verify("correct horsE", a));
        Assert.False(PasswordHasher.Verify("correct horse", "garbage"));
        Assert.False(PasswordHasher.Verify("correct horse", ""));
    }

    [Fact]
    public void ConfiguredPasswords_AreHashedAtLoad_AndTheClearTextIsDropped()
    {
        var options = new SecurityOptions { Users = [User("ann", "Admin")] };
        var users = new UserDirectory(options, new InMemoryUserStore());

        Assert.Null(options.Users[0].Password);
        Assert.DoesNotContain("password-ann", users.Find("ann")!.PasswordHash);
        Assert.NotNull(users.Authenticate("ann", "password-ann"));
        Assert.NotNull(users.Authenticate("ann", "password-ann")); // cached
        Assert.Null(users.Authenticate("ann", "password-bob"));
        Assert.Null(users.Authenticate("nobody", "password-ann"));
    }

    [Fact]
    public void Roles_AreCeilings()
    {
        var authorizer = new DruidAuthorizer(Directory(User("v", "Viewer"), User("o", "Operator"), User("a", "Admin")));

        Assert.True(authorizer.IsAllowed("v", Ds("wiki", DruidAction.READ)));
        Assert.False(authorizer.IsAllowed("v", Ds("wiki", DruidAction.WRITE)));
        Assert.False(authorizer.IsAllowed("v", new(Resource.State, DruidAction.WRITE)));
        Assert.True(authorizer.IsAllowed("o", Ds("wiki", DruidAction.WRITE)));
        Assert.False(authorizer.IsAllowed("o", new(Resource.Config, DruidAction.READ)));
        Assert.True(authorizer.IsAllowed("a", new(Resource.Config, DruidAction.WRITE)));
        Assert.False(authorizer.IsAllowed("deleted", Ds("wiki", DruidAction.READ)));
        Assert.False(authorizer.IsAllowed(null, Ds("wiki", DruidAction.READ)));
        Assert.False(authorizer.IsAllowed(UserDirectory.AnonymousName, Ds("wiki", DruidAction.READ)));
    }

    [Fact]
    public void DataSourcePermissions_NarrowTheRole_ByNameOrPattern()
    {
        var authorizer = new DruidAuthorizer(Directory(
            User("o", "Operator", new DataSourcePermission { DataSource = "wiki.*", Actions = [DruidAction.WRITE] },
                new DataSourcePermission { DataSource = "billing", Actions = [DruidAction.READ] }),
            User("v", "Viewer", new DataSourcePermission { DataSource = "*", Actions = [DruidAction.WRITE] })));

        Assert.True(authorizer.IsAllowed("o", Ds("wiki_edits", DruidAction.WRITE)));
        Assert.True(authorizer.IsAllowed("o", Ds("wiki_edits", DruidAction.READ)));
        Assert.True(authorizer.IsAllowed("o", Ds("billing", DruidAction.READ)));
        Assert.False(authorizer.IsAllowed("o", Ds("billing", DruidAction.WRITE)));
        Assert.False(authorizer.IsAllowed("o", Ds("xwiki", DruidAction.READ)));
        Assert.False(authorizer.IsAllowed("v", Ds("wiki", DruidAction.WRITE))); // the role is still the ceiling
    }

    [Fact]
    public void WithoutUsers_EveryoneIsTheAnonymousAdmin()
    {
        var authorizer = new DruidAuthorizer(Directory());

        Assert.True(authorizer.IsOpen);
        Assert.True(authorizer.IsAllowed(UserDirectory.AnonymousName, new(Resource.Config, DruidAction.WRITE)));
        Assert.Equal(DruidRole.Admin, authorizer.RoleOf(null));
    }

    [Fact]
    public async Task StoredUsers_AreManaged_ConfiguredOnesAreReadOnly()
    {
        var users = Directory(User("ann", "Admin"));
        await users.CreateAsync("bob", "bob-password", DruidRole.Viewer, null, default);
        await users.SetRoleAsync("bob", DruidRole.Operator, default);
        await users.SetPasswordAsync("bob", "bob-password-2", default);

        Assert.Equal(DruidRole.Operator, users.Find("bob")!.Role);
        Assert.Null(users.Authenticate("bob", "bob-password"));
        Assert.NotNull(users.Authenticate("bob", "bob-password-2"));
        await Assert.ThrowsAsync<Dashboard.Core.Errors.DruidException>(() => users.SetRoleAsync("ann", DruidRole.Viewer, default));
        await Assert.ThrowsAsync<Dashboard.Core.Errors.DruidException>(() => users.CreateAsync("ann", "another-pass", DruidRole.Viewer, null, default));
        await Assert.ThrowsAsync<Dashboard.Core.Errors.DruidException>(() => users.CreateAsync("eve", "short", DruidRole.Viewer, null, default));
        await users.DeleteAsync("bob", default);
        Assert.Null(users.Find("bob"));
    }
}
