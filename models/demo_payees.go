package models

import (
	"context"
	"fmt"
)

// seedDemoPayees gives the demo payees of both kinds, verified and not:
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
		{"creator1@demo.test", PayeeInput{Name: "张伟", IDNumber: "11010519491231002X", Method: PayByBank, Account: "6222020200112233446",
			Bank: "中国工商银行", Branch: "北京朝阳支行"}, "Demo: checked against the ID card and bank card photos"},
		{"creator2@demo.test", PayeeInput{Name: "李娜", IDNumber: "310115198511205673", Method: PayByAlipay, Account: "13812345678"}, ""},
		{"mcn1@demo.test", PayeeInput{Name: "福州星光传媒有限公司", IDNumber: "91350100M000100Y43", Account: "350200001234567890",
			Bank: "招商银行", Branch: "福州分行营业部"}, "Demo: checked against the business licence and the bank's letter"},
		{"mcn2@demo.test", PayeeInput{Name: "深圳乐享文化传播有限公司", IDNumber: "91440300MA5ABCDE1H", Account: "44201500100052012345",
			Bank: "中国建设银行", Branch: "深圳南山支行"}, ""},
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
