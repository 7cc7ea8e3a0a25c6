package models

import (
	"context"
	"fmt"
)

// seedDemoPayees gives the demo payees of both kinds, verified and not
// (names in Latin letters, like the rest of the demo's data):
// creator1 a verified bank card, creator2 an Alipay account waiting for
// verification, mcn1's agency verified, mcn2's agency waiting.
func (s *Store) seedDemoPayees(ctx context.Context) error {
	actor := func(email string) (*Actor, error) {
		var u User
		if err := s.r(ctx).Where("email = ?", email).First(&u).Error; err != nil {
			return nil, fmt.Errorf("demo payee %s: %w", email, err)
		}
		return ActorFor(&u, ""), nil
	}
	reviewer, err := actor("reviewer1@demo.test")
	if err != nil {
		return err
	}
	for _, d := range []struct {
		email  string
		in     PayeeInput
		verify string
	}{
		{"creator1@demo.test", PayeeInput{Name: "Zhang Wei", IDNumber: "11010519491231002X", Method: PayByBank, Account: "6222020200112233446",
			Bank: "Industrial and Commercial Bank of China", Branch: "Beijing Chaoyang Sub-branch"}, "Demo: checked against the ID card and bank card photos"},
		{"creator2@demo.test", PayeeInput{Name: "Li Na", IDNumber: "310115198511205673", Method: PayByAlipay, Account: "13812345678"}, ""},
		{"mcn1@demo.test", PayeeInput{Name: "Fuzhou Starlight Media Co., Ltd.", IDNumber: "91350100M000100Y43", Account: "350200001234567890",
			Bank: "China Merchants Bank", Branch: "Fuzhou Branch"}, "Demo: checked against the business licence and the bank's letter"},
		{"mcn2@demo.test", PayeeInput{Name: "Shenzhen Lexiang Culture Co., Ltd.", IDNumber: "91440300MA5ABCDE1H", Account: "44201500100052012345",
			Bank: "China Construction Bank", Branch: "Shenzhen Nanshan Sub-branch"}, ""},
	} {
		a, err := actor(d.email)
		if err != nil {
			return err
		}
		kind, owner := PayeeCreator, a.CreatorID
		if a.Role == RoleMCNManager {
			kind, owner = PayeeAgency, a.AgencyID
		}
		if owner == nil {
			return fmt.Errorf("demo payee %s: no creator or agency", d.email)
		}
		saved, err := s.SavePayee(ctx, a, kind, *owner, d.in)
		if err != nil {
			return fmt.Errorf("demo payee %s: %w", d.email, err)
		}
		if d.verify != "" {
			if _, err := s.VerifyPayee(ctx, reviewer, saved.Payee.ID, saved.Payee.Revision, d.verify); err != nil {
				return fmt.Errorf("demo payee %s: %w", d.email, err)
			}
		}
	}
	return nil
}
