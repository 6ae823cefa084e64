// The quickstart's break-glass user in Go on the native provider: the resources and functions of the
// Go SDK generated from the package schema (generated/go, reached through the `replace` in go.mod),
// which the plugin pulumi-resource-partnercenter serves, so the state names
// `partnercenter:index:CustomerUser`. The provider is configured by the stack's `partnercenter:*`
// keys, as for a YAML or TypeScript program.
package main

import (
	"github.com/pulumi-partnercenter/pulumi-partnercenter/sdk/go/partnercenter"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi"
	"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config"
)

func main() {
	pulumi.Run(func(ctx *pulumi.Context) error {
		cfg := config.New(ctx, "")
		customerId := cfg.Require("customerId")
		domain := cfg.Require("domain")

		// Who the customer is, as Partner Center knows it.
		organization, err := partnercenter.GetCustomerOrganization(ctx, &partnercenter.GetCustomerOrganizationArgs{CustomerId: customerId})
		if err != nil {
			return err
		}

		// A break-glass admin; its password lives only in the stack's encrypted config.
		breakglass, err := partnercenter.NewCustomerUser(ctx, "breakglass", &partnercenter.CustomerUserArgs{
			CustomerId:        pulumi.String(customerId),
			UserPrincipalName: pulumi.String("breakglass@" + domain),
			DisplayName:       pulumi.String("Break Glass Admin"),
			UsageLocation:     pulumi.String(organization.CountryLetterCode),
			Password:          cfg.RequireSecret("breakGlassPassword"),
		})
		if err != nil {
			return err
		}

		ctx.Export("customer", pulumi.String(organization.DisplayName))
		ctx.Export("adminUserId", breakglass.UserId)
		return nil
	})
}
