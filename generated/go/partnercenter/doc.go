// Manage Microsoft Partner Center customer tenants: users, CPV application consents, GDAP relationships and access, directory roles.
package partnercenter
