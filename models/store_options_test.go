package models_test

import (
	"testing"

	"golang.org/x/crypto/bcrypt"

	"github.com/jd/creator-portal/models"
	"github.com/jd/creator-portal/models/modeltest"
)

// bcrypt's cost is the store's option, not a package variable: two stores in
// one process hash at their own costs, and a cost bcrypt has not is refused.
func TestPasswordCostIsAStoreOption(t *testing.T) {
	for _, cost := range []int{bcrypt.MinCost, bcrypt.MinCost + 1} {
		s, raw := modeltest.NewStoreWithDB(t, models.WithPasswordCost(cost))
		if _, err := s.CreateUser(ctx, models.SystemActor(), models.NewUser{Email: "cost@t.test", Password: "long-enough-password", Role: models.RoleAdmin}); err != nil {
			t.Fatal(err)
		}
		var hash string
		raw.Table("users").Where("email = ?", "cost@t.test").Pluck("password_hash", &hash)
		if got, err := bcrypt.Cost([]byte(hash)); err != nil || got != cost {
			t.Fatalf("store with cost %d hashed at %d (%v)", cost, got, err)
		}
		if _, err := s.Authenticate(ctx, "cost@t.test", "long-enough-password", "192.0.2.1"); err != nil {
			t.Fatal(err)
		}
	}
	for _, bad := range []int{bcrypt.MinCost - 1, bcrypt.MaxCost + 1} {
		if s, err := models.Open(ctx, modeltest.DatabaseURL(t), modeltest.Options(models.WithPasswordCost(bad))...); err == nil {
			s.Close()
			t.Errorf("cost %d accepted", bad)
		}
	}
}
