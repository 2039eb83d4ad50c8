set terminal pngcairo size 900,560 enhanced font 'DejaVu Sans,10'
set output 'training_cifar10_deep_svdd_soft.png'
$S0 << EOD
1 154.51387786865234
2 60.48497200012207
3 30.80571174621582
4 24.630207061767578
EOD
$S1 << EOD
1 2209.2626953125
2 443.2122993469238
3 671.0035018920898
EOD
set title "CIFAR-10: deep\\_svdd\\_soft training loss per epoch, seed 1"
set xlabel "epoch"
set ylabel "mean batch loss"
set grid
set key outside right
set logscale y

plot $S0 using 1:2 with lines lw 2 title "class 5 autoencoder", $S1 using 1:2 with lines lw 2 title "class 5 φ"

unset output
reset
set terminal svg size 900,560 enhanced font 'DejaVu Sans,10' background rgb 'white'
set output 'training_cifar10_deep_svdd_soft.svg'
$S0 << EOD
1 154.51387786865234
2 60.48497200012207
3 30.80571174621582
4 24.630207061767578
EOD
$S1 << EOD
1 2209.2626953125
2 443.2122993469238
3 671.0035018920898
EOD
set title "CIFAR-10: deep\\_svdd\\_soft training loss per epoch, seed 1"
set xlabel "epoch"
set ylabel "mean batch loss"
set grid
set key outside right
set logscale y

plot $S0 using 1:2 with lines lw 2 title "class 5 autoencoder", $S1 using 1:2 with lines lw 2 title "class 5 φ"

unset output
reset
